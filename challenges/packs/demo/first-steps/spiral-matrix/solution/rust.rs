use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let tokens: Vec<&str> = input.split_whitespace().collect();
    let rows: i64 = tokens[0].parse().unwrap();
    let cols: i64 = tokens[1].parse().unwrap();
    let at = |r: i64, c: i64| tokens[(2 + r * cols + c) as usize];
    let (mut top, mut bottom, mut left, mut right) = (0, rows - 1, 0, cols - 1);
    let mut order = Vec::new();
    while top <= bottom && left <= right {
        for c in left..=right {
            order.push(at(top, c));
        }
        for r in top + 1..=bottom {
            order.push(at(r, right));
        }
        if top < bottom && left < right {
            for c in (left..right).rev() {
                order.push(at(bottom, c));
            }
            for r in (top + 1..bottom).rev() {
                order.push(at(r, left));
            }
        }
        top += 1;
        bottom -= 1;
        left += 1;
        right -= 1;
    }
    println!("{}", order.join(" "));
}
