data = $stdin.read.split.map(&:to_i)
q = data[0]
queries = (0...q).map { |i| [data[1 + 2 * i], data[2 + 2 * i]] }
limit = queries.map(&:last).max
# The sieve of Eratosthenes over odd numbers only, as bytes: odd[j] is 1 when 2j+1 is prime.
half = (limit + 1) / 2
odd = "\x01".b * half
odd.setbyte(0, 0)
i = 1
while (2 * i + 1) * (2 * i + 1) <= limit
  if odd.getbyte(i) == 1
    p = 2 * i + 1
    j = p * p / 2
    while j < half
      odd.setbyte(j, 0)
      j += p
    end
  end
  i += 1
end
# before[b] = primes among odd[0, b * BLOCK); counting inside one block is String#count (C speed).
BLOCK = 4096
before = [0]
(0...half).step(BLOCK) { |start| before << before[-1] + odd.byteslice(start, BLOCK).count("\x01") }
primes_up_to = lambda do |x|
  next 0 if x < 2
  k = (x - 1) / 2
  block = k / BLOCK
  1 + before[block] + odd.byteslice(block * BLOCK, k % BLOCK + 1).count("\x01")
end
puts(queries.map { |lo, hi| primes_up_to.call(hi) - primes_up_to.call(lo - 1) })
