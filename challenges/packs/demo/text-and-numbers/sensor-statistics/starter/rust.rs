use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: compute the mean, the population standard deviation and the median,
    // and print each on its own line (for example with f"{value:.9f}").
}
