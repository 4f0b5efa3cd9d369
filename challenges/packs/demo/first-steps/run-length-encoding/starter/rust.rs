use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: "aaabccdddd" -> "3ab2c4d"
    // TODO: "3ab2c4d" -> "aaabccdddd"
    // TODO: print encode(payload) or decode(payload) depending on mode
}
