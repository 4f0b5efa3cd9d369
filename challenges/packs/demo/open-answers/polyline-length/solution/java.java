import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int n = Integer.parseInt(tokens[0]);
        double total = 0;
        for (int i = 0; i + 1 < n; i++) {
            double x1 = Double.parseDouble(tokens[1 + 2 * i]), y1 = Double.parseDouble(tokens[2 + 2 * i]);
            double x2 = Double.parseDouble(tokens[3 + 2 * i]), y2 = Double.parseDouble(tokens[4 + 2 * i]);
            total += Math.hypot(x2 - x1, y2 - y1);
        }
        System.out.printf(Locale.ROOT, "%.6f%n", total);
    }
}
