import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: for every i from 1 to n, print the words of the rules whose divisor
        // divides i (in input order), or i itself when no rule matches.
    }
}
