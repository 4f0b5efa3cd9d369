use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: walk the grid clockwise from the top-left corner, layer by layer,
    // and print the values on one line separated by spaces.
}
