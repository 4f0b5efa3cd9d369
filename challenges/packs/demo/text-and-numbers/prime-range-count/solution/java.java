import java.io.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int q = Integer.parseInt(tokens[0]);
        int[] lo = new int[q], hi = new int[q];
        int limit = 1;
        for (int i = 0; i < q; i++) {
            lo[i] = Integer.parseInt(tokens[1 + 2 * i]);
            hi[i] = Integer.parseInt(tokens[2 + 2 * i]);
            limit = Math.max(limit, hi[i]);
        }
        // The sieve of Eratosthenes, then primes[x] = number of primes <= x.
        boolean[] composite = new boolean[limit + 1];
        composite[0] = composite[1] = true;
        for (long p = 2; p * p <= limit; p++)
            if (!composite[(int) p])
                for (long m = p * p; m <= limit; m += p) composite[(int) m] = true;
        int[] primes = new int[limit + 1];
        int count = 0;
        for (int x = 0; x <= limit; x++) {
            if (!composite[x]) count++;
            primes[x] = count;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < q; i++) out.append(primes[hi[i]] - (lo[i] > 0 ? primes[lo[i] - 1] : 0)).append('\n');
        System.out.print(out);
    }
}
