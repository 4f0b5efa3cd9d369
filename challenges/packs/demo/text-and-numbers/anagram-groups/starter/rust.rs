use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: group the words that are anagrams of each other, sort each group,
    // order the groups (largest first, ties by first word) and print them.
}
