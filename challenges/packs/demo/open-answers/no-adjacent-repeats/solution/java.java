import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String word = new String(System.in.readAllBytes()).trim().split("\\s+")[0];
        int n = word.length();
        int[] counts = new int[128];
        for (char c : word.toCharArray()) counts[c]++;
        List<Character> letters = new ArrayList<>();
        for (char c = 0; c < 128; c++) if (counts[c] > 0) letters.add(c);
        letters.sort((a, b) -> counts[b] != counts[a] ? counts[b] - counts[a] : a - b);
        if (counts[letters.get(0)] > (n + 1) / 2) {
            System.out.println("IMPOSSIBLE");
            return;
        }
        // The most frequent letter first, filling every other slot, then the odd slots.
        char[] answer = new char[n];
        int slot = 0;
        for (char c : letters) {
            for (int j = 0; j < counts[c]; j++) {
                answer[slot] = c;
                slot += 2;
                if (slot >= n) slot = 1;
            }
        }
        System.out.println(new String(answer));
    }
}
