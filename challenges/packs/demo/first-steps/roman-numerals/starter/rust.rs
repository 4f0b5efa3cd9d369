use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: 1994 -> "MCMXCIV"
    // TODO: "MCMXCIV" -> 1994
}
