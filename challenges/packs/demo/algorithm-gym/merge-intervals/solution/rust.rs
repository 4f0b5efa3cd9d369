use std::io::{self, Read, Write};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace().map(|t| t.parse::<i64>().unwrap());
    let n = tokens.next().unwrap() as usize;
    let mut intervals: Vec<(i64, i64)> = (0..n).map(|_| (tokens.next().unwrap(), tokens.next().unwrap())).collect();
    intervals.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for (lo, hi) in intervals {
        match merged.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    let mut out = format!("{}\n", merged.len());
    for (lo, hi) in merged {
        out.push_str(&format!("{} {}\n", lo, hi));
    }
    io::stdout().write_all(out.as_bytes()).unwrap();
}
