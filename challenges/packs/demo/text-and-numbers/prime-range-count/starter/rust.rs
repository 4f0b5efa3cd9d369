use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: sieve the primes up to the largest R once, then answer every query
    // "how many primes in [L, R]?" quickly (think prefix counts).
}
