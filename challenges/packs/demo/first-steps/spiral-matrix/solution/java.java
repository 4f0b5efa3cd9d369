import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int rows = Integer.parseInt(tokens[0]);
        int cols = Integer.parseInt(tokens[1]);
        String[][] grid = new String[rows][cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) grid[r][c] = tokens[2 + r * cols + c];
        int top = 0, bottom = rows - 1, left = 0, right = cols - 1;
        List<String> order = new ArrayList<>();
        while (top <= bottom && left <= right) {
            for (int c = left; c <= right; c++) order.add(grid[top][c]);
            for (int r = top + 1; r <= bottom; r++) order.add(grid[r][right]);
            if (top < bottom && left < right) {
                for (int c = right - 1; c >= left; c--) order.add(grid[bottom][c]);
                for (int r = bottom - 1; r > top; r--) order.add(grid[r][left]);
            }
            top++;
            bottom--;
            left++;
            right--;
        }
        System.out.println(String.join(" ", order));
    }
}
