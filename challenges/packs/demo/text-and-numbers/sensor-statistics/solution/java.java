import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int n = Integer.parseInt(tokens[0]);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = Double.parseDouble(tokens[1 + i]);
        Arrays.sort(values);
        double sum = 0;
        for (double x : values) sum += x;
        double mean = sum / n;
        double squares = 0;
        for (double x : values) squares += (x - mean) * (x - mean);
        double deviation = Math.sqrt(squares / n);
        double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        System.out.printf(Locale.ROOT, "%.9f%n%.9f%n%.9f%n", mean, deviation, median);
    }
}
