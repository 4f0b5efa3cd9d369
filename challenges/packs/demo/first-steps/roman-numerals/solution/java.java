import java.io.*;

public class Main {
    static final int[] VALUES = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
    static final String[] LETTERS = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};

    static int symbol(char c) {
        return switch (c) {
            case 'I' -> 1; case 'V' -> 5; case 'X' -> 10; case 'L' -> 50;
            case 'C' -> 100; case 'D' -> 500; default -> 1000;
        };
    }

    static String toRoman(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < VALUES.length; i++) {
            while (n >= VALUES[i]) {
                b.append(LETTERS[i]);
                n -= VALUES[i];
            }
        }
        return b.toString();
    }

    static int fromRoman(String s) {
        int total = 0;
        for (int i = 0; i < s.length(); i++) {
            int v = symbol(s.charAt(i));
            if (i + 1 < s.length() && symbol(s.charAt(i + 1)) > v) total -= v;
            else total += v;
        }
        return total;
    }

    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int t = Integer.parseInt(tokens[0]);
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= t; i++) {
            String token = tokens[i];
            boolean digits = token.chars().allMatch(Character::isDigit);
            out.append(digits ? toRoman(Integer.parseInt(token)) : String.valueOf(fromRoman(token))).append('\n');
        }
        System.out.print(out);
    }
}
