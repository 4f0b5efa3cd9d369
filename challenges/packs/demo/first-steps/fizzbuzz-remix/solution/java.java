import java.io.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int n = Integer.parseInt(tokens[0]);
        int k = Integer.parseInt(tokens[1]);
        int[] divisors = new int[k];
        String[] words = new String[k];
        for (int i = 0; i < k; i++) {
            divisors[i] = Integer.parseInt(tokens[2 + 2 * i]);
            words[i] = tokens[3 + 2 * i];
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            int before = out.length();
            for (int r = 0; r < k; r++) if (i % divisors[r] == 0) out.append(words[r]);
            if (out.length() == before) out.append(i);
            out.append('\n');
        }
        System.out.print(out);
    }
}
