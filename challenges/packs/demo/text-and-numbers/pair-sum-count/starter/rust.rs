use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: count the pairs i < j with values[i] + values[j] == target.
    // n can be 200 000: an O(n^2) double loop is too slow.
}
