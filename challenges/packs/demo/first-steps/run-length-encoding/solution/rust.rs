use std::io::{self, Read, Write};

fn encode(text: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < text.len() {
        let mut j = i;
        while j < text.len() && text[j] == text[i] {
            j += 1;
        }
        if j - i > 1 {
            out.push_str(&(j - i).to_string());
        }
        out.push(text[i] as char);
        i = j;
    }
    out
}

fn decode(code: &[u8]) -> String {
    let mut out = String::new();
    let mut count = 0usize;
    for &c in code {
        if c.is_ascii_digit() {
            count = count * 10 + (c - b'0') as usize;
        } else {
            out.push_str(&(c as char).to_string().repeat(count.max(1)));
            count = 0;
        }
    }
    out
}

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace();
    let t: usize = tokens.next().unwrap().parse().unwrap();
    let mut out = String::new();
    for _ in 0..t {
        let mode = tokens.next().unwrap();
        let payload = tokens.next().unwrap().as_bytes();
        out.push_str(&if mode == "E" { encode(payload) } else { decode(payload) });
        out.push('\n');
    }
    io::stdout().write_all(out.as_bytes()).unwrap();
}
