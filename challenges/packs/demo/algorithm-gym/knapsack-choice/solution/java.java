import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int n = Integer.parseInt(tokens[0]);
        int capacity = Integer.parseInt(tokens[1]);
        int[] weight = new int[n];
        long[] value = new long[n];
        for (int i = 0; i < n; i++) {
            weight[i] = Integer.parseInt(tokens[2 + 2 * i]);
            value[i] = Long.parseLong(tokens[3 + 2 * i]);
        }
        // best[i][c] = the best value using items i..n-1 within capacity c.
        long[][] best = new long[n + 1][capacity + 1];
        for (int i = n - 1; i >= 0; i--) {
            best[i] = best[i + 1].clone();
            for (int c = weight[i]; c <= capacity; c++)
                best[i][c] = Math.max(best[i][c], best[i + 1][c - weight[i]] + value[i]);
        }
        // Going forward, take every item an optimal choice can take: the smallest list of indices.
        StringJoiner chosen = new StringJoiner(" ");
        int count = 0;
        int c = capacity;
        for (int i = 0; i < n; i++) {
            if (weight[i] <= c && best[i + 1][c - weight[i]] + value[i] == best[i][c]) {
                chosen.add(String.valueOf(i + 1));
                count++;
                c -= weight[i];
            }
        }
        System.out.println(best[0][capacity]);
        System.out.println(count == 0 ? "0" : count + " " + chosen);
    }
}
