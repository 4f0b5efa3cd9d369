use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: print the length of the longest strictly increasing subsequence.
    // n can be 100 000: O(n^2) is too slow, look for O(n log n).
}
