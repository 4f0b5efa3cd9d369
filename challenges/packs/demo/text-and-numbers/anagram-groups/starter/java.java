import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: group the words that are anagrams of each other, sort each group,
        // order the groups (largest first, ties by first word) and print them.
    }
}
