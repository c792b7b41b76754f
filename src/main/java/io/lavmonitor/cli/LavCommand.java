package io.lavmonitor.cli;
public class LavCommand { public static void main(String[] a) {} }
