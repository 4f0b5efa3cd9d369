import java.io.*;

public class Main {
    static String encode(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int j = i;
            while (j < text.length() && text.charAt(j) == text.charAt(i)) j++;
            if (j - i > 1) b.append(j - i);
            b.append(text.charAt(i));
            i = j;
        }
        return b.toString();
    }

    static String decode(String code) {
        StringBuilder b = new StringBuilder();
        int count = 0;
        for (char c : code.toCharArray()) {
            if (Character.isDigit(c)) {
                count = count * 10 + (c - '0');
            } else {
                b.append(String.valueOf(c).repeat(Math.max(count, 1)));
                count = 0;
            }
        }
        return b.toString();
    }

    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int t = Integer.parseInt(tokens[0]);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < t; i++) {
            String mode = tokens[1 + 2 * i];
            String payload = tokens[2 + 2 * i];
            out.append(mode.equals("E") ? encode(payload) : decode(payload)).append('\n');
        }
        System.out.print(out);
    }
}
