use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace();
    let mut a = tokens.next().unwrap().as_bytes();
    let mut b = tokens.next().unwrap().as_bytes();
    if a.len() < b.len() {
        std::mem::swap(&mut a, &mut b);
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let diagonal = previous[j - 1] + (a[i - 1] != b[j - 1]) as usize;
            current[j] = diagonal.min(previous[j] + 1).min(current[j - 1] + 1);
        }
        previous = current;
    }
    println!("{}", previous[b.len()]);
}
