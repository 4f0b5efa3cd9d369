import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: sieve the primes up to the largest R once, then answer every query
        // "how many primes in [L, R]?" quickly (think prefix counts).
    }
}
