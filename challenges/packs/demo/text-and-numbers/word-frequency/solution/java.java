import java.io.*;
import java.util.*;
import java.util.regex.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String data = new String(System.in.readAllBytes());
        int newline = data.indexOf('\n');
        int k = Integer.parseInt((newline < 0 ? data : data.substring(0, newline)).trim());
        String text = newline < 0 ? "" : data.substring(newline + 1);
        Map<String, Integer> counts = new HashMap<>();
        Matcher m = Pattern.compile("[A-Za-z]+").matcher(text);
        while (m.find()) counts.merge(m.group().toLowerCase(Locale.ROOT), 1, Integer::sum);
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort((a, b) -> !a.getValue().equals(b.getValue()) ? b.getValue() - a.getValue() : a.getKey().compareTo(b.getKey()));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(k, ranked.size()); i++)
            out.append(ranked.get(i).getKey()).append(' ').append(ranked.get(i).getValue()).append('\n');
        System.out.print(out);
    }
}
