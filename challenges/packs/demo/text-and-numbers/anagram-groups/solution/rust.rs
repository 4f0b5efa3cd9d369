use std::collections::HashMap;
use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace();
    let n: usize = tokens.next().unwrap().parse().unwrap();
    let mut groups: HashMap<Vec<u8>, Vec<&str>> = HashMap::new();
    for word in tokens.take(n) {
        let mut key = word.as_bytes().to_vec();
        key.sort_unstable();
        groups.entry(key).or_default().push(word);
    }
    let mut ordered: Vec<Vec<&str>> = groups.into_values().collect();
    for words in ordered.iter_mut() {
        words.sort_unstable();
    }
    ordered.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(b[0])));
    println!("{}", ordered.len());
    for words in ordered {
        println!("{}", words.join(" "));
    }
}
