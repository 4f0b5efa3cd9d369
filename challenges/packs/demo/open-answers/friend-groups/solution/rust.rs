use std::io::{self, Read};

fn find(parent: &mut Vec<usize>, mut a: usize) -> usize {
    while parent[a] != a {
        parent[a] = parent[parent[a]];
        a = parent[a];
    }
    a
}

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace().map(|t| t.parse::<usize>().unwrap());
    let n = tokens.next().unwrap();
    let m = tokens.next().unwrap();
    let mut parent: Vec<usize> = (0..=n).collect();
    for _ in 0..m {
        let a = tokens.next().unwrap();
        let b = tokens.next().unwrap();
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra] = rb;
    }
    let mut index = vec![usize::MAX; n + 1];
    let mut groups: Vec<Vec<String>> = Vec::new();
    for person in 1..=n {
        let root = find(&mut parent, person);
        if index[root] == usize::MAX {
            index[root] = groups.len();
            groups.push(Vec::new());
        }
        groups[index[root]].push(person.to_string());
    }
    println!("{}", groups.len());
    for g in groups {
        println!("{}", g.join(" "));
    }
}
