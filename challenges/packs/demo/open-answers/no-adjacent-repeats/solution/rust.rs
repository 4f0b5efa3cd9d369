use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let word = input.split_whitespace().next().unwrap().as_bytes();
    let n = word.len();
    let mut counts = [0usize; 128];
    for &c in word {
        counts[c as usize] += 1;
    }
    let mut letters: Vec<u8> = (0u8..128).filter(|&c| counts[c as usize] > 0).collect();
    letters.sort_by(|&a, &b| counts[b as usize].cmp(&counts[a as usize]).then(a.cmp(&b)));
    if counts[letters[0] as usize] > (n + 1) / 2 {
        println!("IMPOSSIBLE");
        return;
    }
    // The most frequent letter first, filling every other slot, then the odd slots.
    let slots: Vec<usize> = (0..n).step_by(2).chain((1..n).step_by(2)).collect();
    let mut answer = vec![0u8; n];
    let mut k = 0;
    for &c in &letters {
        for _ in 0..counts[c as usize] {
            answer[slots[k]] = c;
            k += 1;
        }
    }
    println!("{}", String::from_utf8(answer).unwrap());
}
