import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: split text into words (runs of the letters A-Z / a-z, case-insensitive),
        // count them, and print the k most frequent as "word count", one per line.
    }
}
