input = $stdin.read
tokens = input.split
# TODO: print the smallest valid order of the courses 1..n (each "a b" means a
# before b), or IMPOSSIBLE if the prerequisites form a cycle.
