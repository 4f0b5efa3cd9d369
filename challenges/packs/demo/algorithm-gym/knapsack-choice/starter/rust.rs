use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let _tokens: Vec<&str> = input.split_whitespace().collect();
    // TODO: find the best total value within the capacity (0/1 knapsack), then the
    // lexicographically smallest list of item indices (1-based) that achieves it.
    // Print the value, then the count followed by the indices.
}
