import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int n = Integer.parseInt(tokens[0]);
        // tails[k] = smallest possible last value of a strictly increasing subsequence of length k+1
        long[] tails = new long[n];
        int size = 0;
        for (int i = 1; i <= n; i++) {
            long x = Long.parseLong(tokens[i]);
            int lo = 0, hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (tails[mid] < x) lo = mid + 1;
                else hi = mid;
            }
            tails[lo] = x;
            if (lo == size) size++;
        }
        System.out.println(size);
    }
}
