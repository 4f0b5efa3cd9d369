import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: find the best total value within the capacity (0/1 knapsack), then the
        // lexicographically smallest list of item indices (1-based) that achieves it.
        // Print the value, then the count followed by the indices.
    }
}
