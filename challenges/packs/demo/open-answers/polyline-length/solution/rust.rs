use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace().map(|t| t.parse::<f64>().unwrap());
    let n = tokens.next().unwrap() as usize;
    let points: Vec<(f64, f64)> = (0..n).map(|_| (tokens.next().unwrap(), tokens.next().unwrap())).collect();
    let total: f64 = points.windows(2).map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1)).sum();
    println!("{:.6}", total);
}
