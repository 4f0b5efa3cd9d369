import java.io.*;
import java.util.*;

public class Main {
    /** 1-based position where s stops being balanced, or 0 if it is balanced. */
    static int firstError(String s) {
        ArrayDeque<Character> stack = new ArrayDeque<>();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char open = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : 0;
            if (open != 0) {
                if (stack.isEmpty() || stack.pop() != open) return i + 1;
            } else {
                stack.push(c);
            }
        }
        return stack.isEmpty() ? 0 : s.length() + 1;
    }

    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int t = Integer.parseInt(tokens[0]);
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= t; i++) {
            int error = firstError(tokens[i]);
            out.append(error == 0 ? "YES" : String.valueOf(error)).append('\n');
        }
        System.out.print(out);
    }
}
