use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: print the smallest valid order of the courses 1..n (each "a b" means a
    // before b), or IMPOSSIBLE if the prerequisites form a cycle.
}
