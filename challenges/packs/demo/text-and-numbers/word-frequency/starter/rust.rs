use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: split text into words (runs of the letters A-Z / a-z, case-insensitive),
    // count them, and print the k most frequent as "word count", one per line.
}
