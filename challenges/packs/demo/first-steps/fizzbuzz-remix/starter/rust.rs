use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: for every i from 1 to n, print the words of the rules whose divisor
    // divides i (in input order), or i itself when no rule matches.
}
