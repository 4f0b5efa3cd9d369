use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace().map(|t| t.parse::<usize>().unwrap());
    let n = tokens.next().unwrap();
    let m = tokens.next().unwrap();
    let mut after = vec![Vec::new(); n + 1];
    let mut waiting = vec![0usize; n + 1]; // number of prerequisites not yet taken
    for _ in 0..m {
        let a = tokens.next().unwrap();
        let b = tokens.next().unwrap();
        after[a].push(b);
        waiting[b] += 1;
    }
    // Kahn's algorithm, always taking the smallest available course.
    let mut ready: BinaryHeap<Reverse<usize>> = (1..=n).filter(|&c| waiting[c] == 0).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(course)) = ready.pop() {
        order.push(course.to_string());
        for &next in &after[course] {
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.push(Reverse(next));
            }
        }
    }
    if order.len() == n {
        println!("{}", order.join(" "));
    } else {
        println!("IMPOSSIBLE");
    }
}
