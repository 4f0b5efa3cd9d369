use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace().map(|t| t.parse::<i64>().unwrap());
    let n = tokens.next().unwrap() as usize;
    // tails[k] = smallest possible last value of a strictly increasing subsequence of length k+1
    let mut tails: Vec<i64> = Vec::new();
    for x in tokens.take(n) {
        let k = tails.partition_point(|&t| t < x);
        if k == tails.len() {
            tails.push(x);
        } else {
            tails[k] = x;
        }
    }
    println!("{}", tails.len());
}
