import java.io.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        String a = tokens[0], b = tokens[1];
        if (a.length() < b.length()) {
            String t = a;
            a = b;
            b = t;
        }
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int diagonal = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(diagonal, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            previous = current;
        }
        System.out.println(previous[b.length()]);
    }
}
