use std::collections::HashMap;
use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace().map(|t| t.parse::<i64>().unwrap());
    let n = tokens.next().unwrap() as usize;
    let target = tokens.next().unwrap();
    let mut seen: HashMap<i64, i64> = HashMap::new();
    let mut pairs = 0i64;
    for x in tokens.take(n) {
        pairs += seen.get(&(target - x)).copied().unwrap_or(0);
        *seen.entry(x).or_insert(0) += 1;
    }
    println!("{}", pairs);
}
