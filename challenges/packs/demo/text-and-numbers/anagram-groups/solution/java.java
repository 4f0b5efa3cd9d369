import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int n = Integer.parseInt(tokens[0]);
        Map<String, List<String>> groups = new HashMap<>();
        for (int i = 1; i <= n; i++) {
            char[] letters = tokens[i].toCharArray();
            Arrays.sort(letters);
            groups.computeIfAbsent(new String(letters), key -> new ArrayList<>()).add(tokens[i]);
        }
        List<List<String>> ordered = new ArrayList<>(groups.values());
        for (List<String> words : ordered) Collections.sort(words);
        ordered.sort((a, b) -> a.size() != b.size() ? b.size() - a.size() : a.get(0).compareTo(b.get(0)));
        StringBuilder out = new StringBuilder().append(ordered.size()).append('\n');
        for (List<String> words : ordered) out.append(String.join(" ", words)).append('\n');
        System.out.print(out);
    }
}
