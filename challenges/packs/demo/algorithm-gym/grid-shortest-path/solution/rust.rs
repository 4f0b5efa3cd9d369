use std::collections::VecDeque;
use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace();
    let rows: usize = tokens.next().unwrap().parse().unwrap();
    let cols: usize = tokens.next().unwrap().parse().unwrap();
    let grid: Vec<u8> = tokens.take(rows).flat_map(|line| line.bytes()).collect(); // (r, c) is grid[r*cols+c]
    let start = grid.iter().position(|&c| c == b'S').unwrap();
    let goal = grid.iter().position(|&c| c == b'E').unwrap();
    let mut distance = vec![-1i64; rows * cols];
    distance[start] = 0;
    let mut queue = VecDeque::from([start]);
    while let Some(cell) = queue.pop_front() {
        if cell == goal {
            break;
        }
        let (r, c) = (cell / cols, cell % cols);
        let steps = [
            (r > 0, cell.wrapping_sub(cols)),
            (r + 1 < rows, cell + cols),
            (c > 0, cell.wrapping_sub(1)),
            (c + 1 < cols, cell + 1),
        ];
        for (ok, next) in steps {
            if ok && distance[next] < 0 && grid[next] != b'#' {
                distance[next] = distance[cell] + 1;
                queue.push_back(next);
            }
        }
    }
    println!("{}", distance[goal]);
}
