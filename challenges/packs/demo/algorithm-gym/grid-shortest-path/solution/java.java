import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int rows = Integer.parseInt(tokens[0]);
        int cols = Integer.parseInt(tokens[1]);
        StringBuilder joined = new StringBuilder();
        for (int r = 0; r < rows; r++) joined.append(tokens[2 + r]);
        String grid = joined.toString(); // cell (r, c) is grid[r * cols + c]
        int start = grid.indexOf('S'), goal = grid.indexOf('E');
        int[] distance = new int[rows * cols];
        Arrays.fill(distance, -1);
        distance[start] = 0;
        int[] queue = new int[rows * cols];
        int head = 0, tail = 0;
        queue[tail++] = start;
        while (head < tail) {
            int cell = queue[head++];
            if (cell == goal) break;
            int r = cell / cols, c = cell % cols;
            int[] next = {cell - cols, cell + cols, cell - 1, cell + 1};
            boolean[] ok = {r > 0, r + 1 < rows, c > 0, c + 1 < cols};
            for (int k = 0; k < 4; k++) {
                if (ok[k] && distance[next[k]] < 0 && grid.charAt(next[k]) != '#') {
                    distance[next[k]] = distance[cell] + 1;
                    queue[tail++] = next[k];
                }
            }
        }
        System.out.println(distance[goal]);
    }
}
