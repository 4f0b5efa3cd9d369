use std::io::{self, Read, Write};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace();
    let n: u64 = tokens.next().unwrap().parse().unwrap();
    let k: usize = tokens.next().unwrap().parse().unwrap();
    let rules: Vec<(u64, &str)> =
        (0..k).map(|_| (tokens.next().unwrap().parse().unwrap(), tokens.next().unwrap())).collect();
    let mut out = String::new();
    for i in 1..=n {
        let word: String = rules.iter().filter(|(d, _)| i % d == 0).map(|(_, w)| *w).collect();
        if word.is_empty() {
            out.push_str(&i.to_string());
        } else {
            out.push_str(&word);
        }
        out.push('\n');
    }
    io::stdout().write_all(out.as_bytes()).unwrap();
}
