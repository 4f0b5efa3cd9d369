use std::io::{self, Read, Write};

const VALUES: [(u32, &str); 13] = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
];

fn symbol(c: u8) -> i32 {
    match c {
        b'I' => 1, b'V' => 5, b'X' => 10, b'L' => 50, b'C' => 100, b'D' => 500, _ => 1000,
    }
}

fn to_roman(mut n: u32) -> String {
    let mut s = String::new();
    for &(value, letters) in VALUES.iter() {
        while n >= value {
            s.push_str(letters);
            n -= value;
        }
    }
    s
}

fn from_roman(s: &[u8]) -> i32 {
    let mut total = 0;
    for i in 0..s.len() {
        let v = symbol(s[i]);
        if i + 1 < s.len() && symbol(s[i + 1]) > v { total -= v } else { total += v }
    }
    total
}

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace();
    let t: usize = tokens.next().unwrap().parse().unwrap();
    let mut out = String::new();
    for token in tokens.take(t) {
        match token.parse::<u32>() {
            Ok(n) => out.push_str(&to_roman(n)),
            Err(_) => out.push_str(&from_roman(token.as_bytes()).to_string()),
        }
        out.push('\n');
    }
    io::stdout().write_all(out.as_bytes()).unwrap();
}
