use std::io::{self, Read, Write};

/// 1-based position where s stops being balanced, or 0 if it is balanced.
fn first_error(s: &[u8]) -> usize {
    let mut stack = Vec::new();
    for (i, &c) in s.iter().enumerate() {
        let open = match c {
            b')' => b'(',
            b']' => b'[',
            b'}' => b'{',
            _ => {
                stack.push(c);
                continue;
            }
        };
        if stack.pop() != Some(open) {
            return i + 1;
        }
    }
    if stack.is_empty() { 0 } else { s.len() + 1 }
}

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace();
    let t: usize = tokens.next().unwrap().parse().unwrap();
    let mut out = String::new();
    for s in tokens.take(t) {
        match first_error(s.as_bytes()) {
            0 => out.push_str("YES\n"),
            e => out.push_str(&format!("{}\n", e)),
        }
    }
    io::stdout().write_all(out.as_bytes()).unwrap();
}
