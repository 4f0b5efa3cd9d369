use std::io::{self, Read, Write};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace().map(|t| t.parse::<usize>().unwrap());
    let q = tokens.next().unwrap();
    let queries: Vec<(usize, usize)> = (0..q).map(|_| (tokens.next().unwrap(), tokens.next().unwrap())).collect();
    let limit = queries.iter().map(|&(_, hi)| hi).max().unwrap_or(1).max(1);
    // The sieve of Eratosthenes, then primes[x] = number of primes <= x.
    let mut composite = vec![false; limit + 1];
    composite[0] = true;
    composite[1] = true;
    let mut p = 2;
    while p * p <= limit {
        if !composite[p] {
            let mut m = p * p;
            while m <= limit {
                composite[m] = true;
                m += p;
            }
        }
        p += 1;
    }
    let mut primes = vec![0u32; limit + 1];
    let mut count = 0;
    for x in 0..=limit {
        if !composite[x] {
            count += 1;
        }
        primes[x] = count;
    }
    let mut out = String::new();
    for (lo, hi) in queries {
        let below = if lo > 0 { primes[lo - 1] } else { 0 };
        out.push_str(&format!("{}\n", primes[hi] - below));
    }
    io::stdout().write_all(out.as_bytes()).unwrap();
}
