use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace().map(|t| t.parse::<usize>().unwrap());
    let n = tokens.next().unwrap();
    let capacity = tokens.next().unwrap();
    let items: Vec<(usize, u64)> = (0..n).map(|_| (tokens.next().unwrap(), tokens.next().unwrap() as u64)).collect();
    // best[i][c] = the best value using items i..n-1 within capacity c.
    let mut best = vec![vec![0u64; capacity + 1]; n + 1];
    for i in (0..n).rev() {
        let (weight, value) = items[i];
        for c in 0..=capacity {
            best[i][c] = best[i + 1][c];
            if weight <= c {
                best[i][c] = best[i][c].max(best[i + 1][c - weight] + value);
            }
        }
    }
    // Going forward, take every item an optimal choice can take: the smallest list of indices.
    let mut chosen = Vec::new();
    let mut c = capacity;
    for (i, &(weight, value)) in items.iter().enumerate() {
        if weight <= c && best[i + 1][c - weight] + value == best[i][c] {
            chosen.push((i + 1).to_string());
            c -= weight;
        }
    }
    println!("{}", best[0][capacity]);
    let mut line = vec![chosen.len().to_string()];
    line.extend(chosen);
    println!("{}", line.join(" "));
}
