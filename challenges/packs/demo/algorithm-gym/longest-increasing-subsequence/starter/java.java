import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: print the length of the longest strictly increasing subsequence.
        // n can be 100 000: O(n^2) is too slow, look for O(n log n).
    }
}
