import java.io.*;
import java.util.*;

public class Main {
    static int[] parent;

    static int find(int a) {
        while (parent[a] != a) {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        return a;
    }

    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int n = Integer.parseInt(tokens[0]);
        int m = Integer.parseInt(tokens[1]);
        parent = new int[n + 1];
        for (int i = 0; i <= n; i++) parent[i] = i;
        for (int i = 0; i < m; i++)
            parent[find(Integer.parseInt(tokens[2 + 2 * i]))] = find(Integer.parseInt(tokens[3 + 2 * i]));
        Map<Integer, StringJoiner> groups = new LinkedHashMap<>();
        for (int person = 1; person <= n; person++)
            groups.computeIfAbsent(find(person), key -> new StringJoiner(" ")).add(String.valueOf(person));
        StringBuilder out = new StringBuilder().append(groups.size()).append('\n');
        for (StringJoiner g : groups.values()) out.append(g).append('\n');
        System.out.print(out);
    }
}
