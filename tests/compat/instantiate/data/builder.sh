#!/bin/sh
echo building "$name"
