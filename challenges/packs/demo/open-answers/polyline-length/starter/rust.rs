use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: add up the lengths of the segments between consecutive points and print it.
}
