# A binary min-heap of course numbers (Ruby has no priority queue in its core library).
class MinHeap
  def initialize(items)
    @a = []
    items.each { |x| push(x) }
  end

  def empty? = @a.empty?

  def push(x)
    @a << x
    i = @a.size - 1
    while i.positive? && @a[(i - 1) / 2] > @a[i]
      @a[(i - 1) / 2], @a[i] = @a[i], @a[(i - 1) / 2]
      i = (i - 1) / 2
    end
  end

  def pop
    top = @a[0]
    last = @a.pop
    unless @a.empty?
      @a[0] = last
      i = 0
      loop do
        l = 2 * i + 1
        r = l + 1
        m = i
        m = l if l < @a.size && @a[l] < @a[m]
        m = r if r < @a.size && @a[r] < @a[m]
        break if m == i
        @a[m], @a[i] = @a[i], @a[m]
        i = m
      end
    end
    top
  end
end

data = $stdin.read.split.map(&:to_i)
n, m = data[0], data[1]
after = Array.new(n + 1) { [] }
waiting = Array.new(n + 1, 0) # number of prerequisites not yet taken
m.times do |i|
  a, b = data[2 + 2 * i], data[3 + 2 * i]
  after[a] << b
  waiting[b] += 1
end
# Kahn's algorithm, always taking the smallest available course.
ready = MinHeap.new((1..n).select { |c| waiting[c].zero? })
order = []
until ready.empty?
  course = ready.pop
  order << course
  after[course].each do |nxt|
    waiting[nxt] -= 1
    ready.push(nxt) if waiting[nxt].zero?
  end
end
puts(order.size == n ? order.join(" ") : "IMPOSSIBLE")
